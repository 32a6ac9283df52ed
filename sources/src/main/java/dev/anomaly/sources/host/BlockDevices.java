package dev.anomaly.sources.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which {@code /proc/diskstats} devices are whole disks worth watching: those listed in {@code /sys/block}, without
 * loop and RAM disks. Without a {@code /sys/block} directory, names that look like partitions are left out instead.
 */
public final class BlockDevices {

    private static final Pattern PARTITION = Pattern.compile(
            "(?:sd|hd|vd|xvd)[a-z]+\\d+|(?:nvme\\d+n\\d+|mmcblk\\d+|nbd\\d+)p\\d+");

    private BlockDevices() {
    }

    /** The filter for the devices present now under {@code sysRoot} (usually {@code /sys}). */
    public static Predicate<String> wholeDisks(Path sysRoot) {
        Path block = sysRoot.resolve("block");
        if (Files.isDirectory(block)) {
            Set<String> names = new HashSet<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(block)) {
                for (Path p : entries) {
                    // /sys/block writes a '/' in a device name (cciss/c0d0) as '!'.
                    names.add(p.getFileName().toString().replace('!', '/'));
                }
                return name -> names.contains(name) && isReal(name);
            } catch (IOException e) {
                // fall through to the name rule
            }
        }
        return name -> isReal(name) && !PARTITION.matcher(name).matches();
    }

    private static boolean isReal(String name) {
        return !name.startsWith("loop") && !name.startsWith("ram");
    }
}
