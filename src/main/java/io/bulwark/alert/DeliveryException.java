package io.bulwark.alert;

/** A channel could not deliver an alert; the message says why, as the operator should read it in the log. */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
