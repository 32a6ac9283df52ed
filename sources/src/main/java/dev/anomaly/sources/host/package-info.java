/**
 * {@link dev.anomaly.sources.host.HostMetricsSource}: an unbounded FLIP-27 source polling this machine's
 * {@code /proc} every interval (default 5 s) into {@link dev.anomaly.models.records.Sample}s:
 *
 * <table>
 * <caption>series</caption>
 * <tr><th>feature</th><th>metric</th><th>labels besides instance</th><th>from</th></tr>
 * <tr><td>cpu</td><td>host_cpu_utilisation_percent</td><td>mode</td><td>/proc/stat</td></tr>
 * <tr><td>memory</td><td>host_memory_bytes</td><td>kind=available|used</td><td>/proc/meminfo</td></tr>
 * <tr><td>load</td><td>host_load_average</td><td>period=1m|5m|15m</td><td>/proc/loadavg</td></tr>
 * <tr><td>disk</td><td>host_disk_bytes_per_second</td><td>device, direction=read|write</td><td>/proc/diskstats</td></tr>
 * <tr><td>network</td><td>host_network_bytes_per_second</td><td>device, direction=receive|transmit</td>
 * <td>/proc/net/dev</td></tr>
 * </table>
 *
 * <p>Rates and CPU shares need two readings: the first poll emits only memory and load, and a counter that goes
 * backwards skips one interval. The previous counters are not checkpointed, so after a restore the rate series skip
 * one interval too. Unreadable or malformed {@code /proc} files are counted as
 * {@code anomaly_detector.source.reason=<proc_unreadable|proc_bad_format>.malformed} and cost only their feature.
 */
package dev.anomaly.sources.host;
