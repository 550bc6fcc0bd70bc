package io.bulwark.alert;

/**
 * Where alerts go: mail, an SMS gateway, a webhook, a command. {@link #deliver} may block; it is called from
 * the channel's own delivery thread, one alert at a time, in order.
 */
public interface Channel {
    /** The channel's name in the config, for logs and events. */
    String name();

    /**
     * Sends the alert, or throws saying why it could not (the delivery queue retries it later).
     *
     * @throws InterruptedException when the gateway is stopping
     */
    void deliver(Alert alert) throws DeliveryException, InterruptedException;
}
