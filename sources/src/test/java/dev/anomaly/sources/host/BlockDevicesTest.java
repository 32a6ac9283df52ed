package dev.anomaly.sources.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDevicesTest {

    @TempDir
    Path sys;

    @Test
    void keepsDevicesListedInSysBlockExceptLoopAndRam() throws Exception {
        for (String d : new String[] {"vda", "loop0", "ram0", "zram0", "cciss!c0d0"}) {
            Files.createDirectories(sys.resolve("block").resolve(d));
        }
        Predicate<String> keep = BlockDevices.wholeDisks(sys);
        assertThat(keep).accepts("vda", "zram0", "cciss/c0d0").rejects("vda1", "loop0", "ram0", "sdb");
    }

    @Test
    void withoutSysBlockLeavesOutPartitionsByName() {
        Predicate<String> keep = BlockDevices.wholeDisks(sys.resolve("absent"));
        assertThat(keep).accepts("sda", "vda", "nvme0n1", "mmcblk0", "dm-0")
                .rejects("sda1", "vda2", "nvme0n1p1", "mmcblk0p2", "loop3", "ram1");
    }
}
