package io.bulwark.alert;

import static io.bulwark.alert.DeliveryTest.alert;
import static io.bulwark.alert.DeliveryTest.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.alert.DeliveryTest.TestChannel;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue on disk: what was accepted survives a stop or a crash and is delivered once, in order, after it. */
class SpoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final EventBus bus = new EventBus();
    private final List<Delivery> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(Delivery::close);
    }

    private Delivery start(TestChannel channel) {
        Delivery d = Delivery.start(channel, 100, Duration.ofMillis(1), Duration.ofMillis(10), root, bus,
                Clock.system(), new SplittableRandom(5));
        started.add(d);
        return d;
    }

    private List<String> files(String channel, String suffix) throws IOException {
        Path dir = root.resolve(channel);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void alertsAcceptedDuringAnOutageSurviveARestartAndAreDeliveredOnceInOrder() throws Exception {
        TestChannel down = new TestChannel("ops-mail");
        down.failing = "connection refused";
        Delivery before = start(down);
        for (int n = 1; n <= 12; n++) {
            assertThat(before.offer(alert(n))).isTrue();
        }
        await().atMost(WAIT).until(() -> before.failures() >= 3);
        before.close();
        assertThat(down.got).isEmpty();
        assertThat(files("ops-mail", ".json")).hasSize(12);

        TestChannel up = new TestChannel("ops-mail");
        Delivery after = start(up);
        assertThat(after.offer(alert(13))).isTrue(); // new ones go behind what was left
        await().atMost(WAIT).until(() -> after.delivered() == 13);
        assertThat(up.ids()).containsExactlyElementsOf(ids(1, 13));
        assertThat(files("ops-mail", ".json")).isEmpty();
    }

    @Test
    void anAcceptedAlertIsOnDiskWhenOfferReturnsAndGoneOnceDelivered() throws Exception {
        TestChannel channel = new TestChannel("hook");
        channel.block();
        Delivery d = start(channel);
        assertThat(d.offer(alert(1))).isTrue();

        List<String> spooled = files("hook", "");
        assertThat(spooled).hasSize(1);
        assertThat(spooled.getFirst()).matches("\\d{19}-a-1\\.json");
        Path file = root.resolve("hook").resolve(spooled.getFirst());
        assertThat(Alert.fromJson(Files.readString(file))).isEqualTo(alert(1));

        channel.unblock();
        await().atMost(WAIT).until(() -> d.delivered() == 1);
        assertThat(file).doesNotExist();
        assertThat(files("hook", "")).isEmpty();
    }

    @Test
    void aGarbageFileIsMovedAsideAndDoesNotStopTheOthers() throws Exception {
        TestChannel down = new TestChannel("ops-mail");
        down.failing = "down";
        Delivery before = start(down);
        for (int n = 1; n <= 3; n++) {
            before.offer(alert(n));
        }
        before.close();
        Path dir = root.resolve("ops-mail");
        List<String> left = files("ops-mail", ".json");
        // Between the first and the second in order, and one empty, as a crash of the disk might leave them.
        Files.writeString(dir.resolve(left.getFirst().replace("-a-1.json", "-b.json")), "{\"id\": \"b\", trunc");
        Files.writeString(dir.resolve("0000000000000000000-empty.json"), "");

        TestChannel up = new TestChannel("ops-mail");
        Delivery after = start(up);
        await().atMost(WAIT).until(() -> after.delivered() == 3);
        assertThat(up.ids()).containsExactlyElementsOf(ids(1, 3));
        assertThat(files("ops-mail", ".json")).isEmpty();
        assertThat(files("ops-mail", ".bad")).hasSize(2);
        after.close();

        TestChannel again = new TestChannel("ops-mail"); // set aside for good: not tried at the next start
        Delivery third = start(again);
        third.offer(alert(4));
        await().atMost(WAIT).until(() -> third.delivered() == 1);
        assertThat(again.ids()).containsExactly("a-4");
    }

    @Test
    void anAlertBeingDeliveredAtCloseStaysSpooledForTheNextStart() throws Exception {
        TestChannel slow = new TestChannel("sms");
        slow.block();
        Delivery before = start(slow);
        before.offer(alert(1));
        await().atMost(WAIT).until(() -> slow.attemptNanos.size() == 1);
        before.close();
        assertThat(slow.interrupted.get()).isEqualTo(1);
        assertThat(files("sms", ".json")).hasSize(1);

        TestChannel up = new TestChannel("sms");
        Delivery after = start(up);
        await().atMost(WAIT).until(() -> after.delivered() == 1);
        assertThat(up.ids()).containsExactly("a-1");
    }

    @Test
    void channelsSharingARootKeepApart() throws Exception {
        TestChannel mail = new TestChannel("mail");
        TestChannel sms = new TestChannel("sms");
        mail.failing = "down";
        sms.failing = "down";
        Delivery m = start(mail);
        Delivery s = start(sms);
        m.offer(alert(1));
        s.offer(alert(2));
        s.offer(alert(3));
        assertThat(files("mail", ".json")).hasSize(1);
        assertThat(files("sms", ".json")).hasSize(2);
        m.close();
        s.close();

        TestChannel smsUp = new TestChannel("sms");
        Delivery s2 = start(smsUp);
        await().atMost(WAIT).until(() -> s2.delivered() == 2);
        assertThat(smsUp.ids()).containsExactly("a-2", "a-3");
        assertThat(files("mail", ".json")).hasSize(1);
    }

    @Test
    void filesSortInAcceptanceOrderAndNumbersGoOnAfterAReopen() throws Exception {
        Spool spool = Spool.open(root, "ops/../../etc"); // a name that must not leave the root
        assertThat(spool.dir().getParent()).isEqualTo(root);
        for (int n = 1; n <= 11; n++) {
            spool.write(alert(n));
        }
        Files.writeString(spool.dir().resolve("0000000000000000099-x.json.tmp"), "{half");

        Spool reopened = Spool.open(root, "ops/../../etc");
        assertThat(Files.exists(spool.dir().resolve("0000000000000000099-x.json.tmp"))).as("half-written").isFalse();
        reopened.write(alert(12));
        assertThat(reopened.load()).extracting(s -> s.alert().id()).containsExactlyElementsOf(ids(1, 12));
    }

    @Test
    void aMemoryOnlyQueueWritesNothing() throws Exception {
        TestChannel channel = new TestChannel("mem");
        Delivery d = Delivery.start(channel, 10, Duration.ofMillis(1), Duration.ofMillis(1), null, bus,
                Clock.system(), new SplittableRandom(1));
        started.add(d);
        d.offer(alert(1));
        await().atMost(WAIT).until(() -> d.delivered() == 1);
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
