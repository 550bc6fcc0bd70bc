package io.bulwark.config;

/** Which socket layer the event loops use ({@code transport:}), by its config name. */
public enum TransportChoice {
    /** io_uring where the kernel allows it, else native epoll, else NIO. */
    AUTO("auto"),
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    private final String configName;

    TransportChoice(String configName) {
        this.configName = configName;
    }

    /** The name as written in YAML. */
    public String configName() {
        return configName;
    }
}
