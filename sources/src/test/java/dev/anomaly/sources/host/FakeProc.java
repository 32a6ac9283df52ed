package dev.anomaly.sources.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /proc and /sys of a made-up machine, written in the kernel's layouts, whose counters a test moves forward. */
final class FakeProc {

    final Path proc;
    final Path sys;

    FakeProc(Path root) throws IOException {
        this.proc = Files.createDirectories(root.resolve("proc"));
        this.sys = Files.createDirectories(root.resolve("sys"));
        Files.createDirectories(proc.resolve("net"));
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/hostname"), "fakehost\n");
        for (String d : new String[] {"vda", "loop0"}) {
            Files.createDirectories(sys.resolve("block").resolve(d));
        }
    }

    /** Aggregate cpu jiffies user nice system idle iowait irq softirq steal (guest fields appended as 0). */
    FakeProc stat(long... jiffies) throws IOException {
        StringBuilder cpu = new StringBuilder("cpu ");
        for (long j : jiffies) {
            cpu.append(' ').append(j);
        }
        Files.writeString(proc.resolve("stat"), cpu + " 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 12345 0 0\n"
                + "ctxt 987654\nbtime 1700000000\nprocesses 4242\n");
        return this;
    }

    FakeProc meminfo(long totalKb, long availableKb) throws IOException {
        Files.writeString(proc.resolve("meminfo"), "MemTotal:       " + totalKb + " kB\nMemFree:        "
                + (availableKb / 2) + " kB\nMemAvailable:   " + availableKb + " kB\nBuffers:           16508 kB\n"
                + "HugePages_Total:       0\n");
        return this;
    }

    FakeProc loadavg(String text) throws IOException {
        Files.writeString(proc.resolve("loadavg"), text + "\n");
        return this;
    }

    /** Sectors read and written of vda, its partition vda1 (same numbers) and loop0. */
    FakeProc diskstats(long vdaSectorsRead, long vdaSectorsWritten) throws IOException {
        Files.writeString(proc.resolve("diskstats"),
                "   7       0 loop0 10 0 999 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                + " 253       0 vda 48920 12683 " + vdaSectorsRead + " 23196 121730 104436 " + vdaSectorsWritten
                + " 141467 0 110700 174233 0 0 0 0 8003 9569\n"
                + " 253       1 vda1 48000 12000 " + vdaSectorsRead + " 23000 121000 104000 " + vdaSectorsWritten
                + " 141000 0 110000 174000 0 0 0 0 0 0\n");
        return this;
    }

    /** Received and transmitted bytes of eth0 (lo always moves too and must be ignored). */
    FakeProc netdev(long eth0Received, long eth0Transmitted) throws IOException {
        Files.writeString(proc.resolve("net/dev"),
                "Inter-|   Receive                                                |  Transmit\n"
                + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo "
                + "colls carrier compressed\n"
                + "    lo: " + (eth0Received * 3) + "   11927    0    0    0     0          0         0  "
                + (eth0Transmitted * 3) + "   11927    0    0    0     0       0          0\n"
                + "  eth0: " + eth0Received + "   10505    0    0    0     0          0         0   "
                + eth0Transmitted + "    7630    0    0    0     0       0          0\n");
        return this;
    }
}
