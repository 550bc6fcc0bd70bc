package io.bulwark.core;

/** An event with a number in it, so a test can tell which one it got back. */
record TestEvent(long n, Severity severity) implements Event {
    TestEvent(long n) {
        this(n, Severity.WARNING);
    }

    @Override
    public long timestampMillis() {
        return 1_700_000_000_000L + n;
    }

    @Override
    public String source() {
        return "test/" + n;
    }

    @Override
    public String previous() {
        return "UP";
    }

    @Override
    public String current() {
        return "DOWN";
    }

    @Override
    public String reason() {
        return "number " + n + " \"quoted\"\tand tabbed";
    }

    @Override
    public String describe() {
        return "(test/" + n + ") UP -> DOWN: " + reason();
    }
}
