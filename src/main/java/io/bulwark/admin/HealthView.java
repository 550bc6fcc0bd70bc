package io.bulwark.admin;

/** The read-only view of the gateway that the admin endpoints answer from. */
public interface HealthView {
    /** Whether the gateway should receive traffic: every listener accepting and every upstream able to serve. */
    boolean ready();

    /** One line per listener and upstream saying how it stands, for humans and probes. */
    String readinessReport();
}
