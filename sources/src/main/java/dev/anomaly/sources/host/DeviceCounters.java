package dev.anomaly.sources.host;

/**
 * Two byte counters of one device: read/written for a disk, received/transmitted for a network interface.
 *
 * @param device the device name as the kernel lists it
 * @param first bytes read (disk) or received (network)
 * @param second bytes written (disk) or transmitted (network)
 */
public record DeviceCounters(String device, long first, long second) {
}
