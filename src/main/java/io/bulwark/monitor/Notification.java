package io.bulwark.monitor;

/** What a check result is worth telling people, in Nagios's notification types. */
public enum Notification {
    /** A HARD problem began, or a HARD problem changed to another problem status (WARNING to CRITICAL). */
    PROBLEM,
    /** A HARD problem that was notified has ended. */
    RECOVERY,
    /** The same HARD problem still lasts one {@code notification_interval} after the last notification. */
    RENOTIFY,
    /** The check started flapping: problem and recovery notifications are held back until it stops. */
    FLAPPING_START,
    /** The check stopped flapping: problem and recovery notifications flow again. */
    FLAPPING_STOP
}
