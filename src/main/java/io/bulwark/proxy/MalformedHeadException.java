package io.bulwark.proxy;

/** A message head that Netty's decoder would accept but RFC 9112 does not; see {@link HeadScanner}. */
final class MalformedHeadException extends IllegalArgumentException {
    MalformedHeadException(String message) {
        super(message);
    }
}
