package io.bulwark.config;

/** What a host or peer check measures, by its config name. */
public enum MonitorType {
    /** Percent of CPU time busy over the check interval (/proc/stat). */
    CPU("cpu"),
    /** The 1, 5 and 15 minute load averages, as check_load judges them (/proc/loadavg). */
    LOAD("load"),
    /** Percent of RAM used (/proc/meminfo), or of the JVM's heap. */
    MEMORY("memory"),
    /** Percent used of the file system holding a path. */
    DISK("disk"),
    /** TCP connect time to a peer gateway, a router or a backend, in milliseconds. */
    LATENCY("latency"),
    /** Status and response time of a URL, the time in milliseconds. */
    HTTP("http"),
    /** Any Nagios plugin, judged by its exit code. */
    EXEC("exec");

    private final String configName;

    MonitorType(String configName) {
        this.configName = configName;
    }

    /** The name as written in YAML. */
    public String configName() {
        return configName;
    }
}
