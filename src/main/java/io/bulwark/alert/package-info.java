/**
 * Alarms: who is told what, once. Follows the event journal, keeps one incident per source, decides problem,
 * recovery, reminder, escalation and flapping notifications, groups what happens together, and delivers each
 * alert through its channels (mail, SMS gateway, webhook, command) from a bounded, spooled queue per channel,
 * never on an event loop.
 */
package io.bulwark.alert;
