package io.bulwark.failover;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;

/**
 * System calls the actuator tests make themselves, through the FFM API: run code on a thread moved into a
 * network namespace (namespaces and capabilities belong to a thread in Linux, so the test JVM stays where
 * it is), drop a capability from that thread, and capture ARP as it arrives on an interface.
 */
final class TestSyscalls {
    private static final int CLONE_NEWNET = 0x4000_0000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x2008_0522;
    static final int CAP_NET_ADMIN = 12;
    static final int CAP_NET_RAW = 13;
    private static final int AF_PACKET = 17;
    private static final int SOCK_DGRAM = 2;
    private static final int PACKET_BROADCAST = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = call("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = call("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CAPGET = call("capget", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CAPSET = call("capset", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVFROM = call("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));

    private TestSyscalls() {}

    @SuppressWarnings("restricted")
    private static MethodHandle call(String name, FunctionDescriptor d, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, options);
    }

    /**
     * Runs {@code body} on a new platform thread inside namespace {@code ns} (made by {@code ip netns add});
     * threads it starts, and sockets it opens, stay in that namespace.
     */
    static <T> T inNamespace(String ns, Body<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("in-" + ns).start(() -> {
            try {
                enter(ns);
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        } else if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    /** What runs in the namespace. */
    @FunctionalInterface
    interface Body<T> {
        T call() throws Throwable;
    }

    private static void enter(String ns) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(a.allocateFrom("/run/netns/" + ns), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IllegalStateException("open /run/netns/" + ns + " failed");
            }
            int r = (int) SETNS.invokeExact(fd, CLONE_NEWNET);
            int closed = (int) Libc.CLOSE.invokeExact(a.allocate(Libc.CAPTURE), fd);
            if (r != 0 || closed != 0) {
                throw new IllegalStateException("setns " + ns + " failed");
            }
        }
    }

    /** Takes {@code capability} out of the calling thread's effective set, for good. */
    static void dropCapability(int capability) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment header = a.allocate(8);
            header.set(JAVA_INT, 0, LINUX_CAPABILITY_VERSION_3); // pid 0: this thread
            MemorySegment data = a.allocate(24); // two of { effective, permitted, inheritable }
            if ((int) CAPGET.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capget failed");
            }
            data.set(JAVA_INT, 0, data.get(JAVA_INT, 0) & ~(1 << capability));
            if ((int) CAPSET.invokeExact(header, data) != 0) {
                throw new IllegalStateException("capset failed");
            }
        }
    }

    /** An ARP message as it arrived, with the Ethernet source and whether it was sent to broadcast. */
    record Arp(long nanoTime, byte[] ethernetSource, boolean broadcast, byte[] message) {}

    /** Receives ARP on one interface of the namespace the opening thread is in. */
    static final class ArpCapture implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment state = arena.allocate(Libc.CAPTURE);
        private final MemorySegment buffer = arena.allocate(2048);
        private final MemorySegment from = arena.allocate(20);
        private final MemorySegment fromLength = arena.allocate(JAVA_INT);
        private final int fd;

        /** Bound to {@code interfaceName}, waiting at most 100 ms per receive. */
        ArpCapture(String interfaceName) throws Throwable {
            short arp = Short.reverseBytes((short) GratuitousArp.ETH_P_ARP);
            fd = (int) Libc.SOCKET.invokeExact(state, AF_PACKET, SOCK_DGRAM, (int) arp & 0xffff);
            if (fd < 0) {
                throw new NativeException("socket(AF_PACKET)", Libc.errno(state));
            }
            MemorySegment sll = arena.allocate(20);
            sll.set(JAVA_SHORT, 0, (short) AF_PACKET);
            sll.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) GratuitousArp.ETH_P_ARP);
            sll.set(JAVA_INT, 4, LinuxRawSocket.interfaceIndex(interfaceName));
            if ((int) Libc.BIND.invokeExact(state, fd, sll, 20) != 0) {
                throw new NativeException("bind(AF_PACKET)", Libc.errno(state));
            }
            MemorySegment tv = arena.allocate(16);
            tv.set(JAVA_LONG, 8, 100_000);
            if ((int) Libc.SETSOCKOPT.invokeExact(state, fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, tv, 16) != 0) {
                throw new NativeException("setsockopt", Libc.errno(state));
            }
        }

        /** The next ARP message, or {@code null} after 100 ms without one. */
        Arp receive() throws Throwable {
            fromLength.set(JAVA_INT, 0, 20);
            long n = (long) RECVFROM.invokeExact(fd, buffer, buffer.byteSize(), 0, from, fromLength);
            if (n < 0) {
                return null;
            }
            return new Arp(System.nanoTime(), from.asSlice(12, 6).toArray(JAVA_BYTE),
                    from.get(JAVA_BYTE, 10) == PACKET_BROADCAST, buffer.asSlice(0, n).toArray(JAVA_BYTE));
        }

        @Override
        public void close() {
            try {
                int r = (int) Libc.CLOSE.invokeExact(state, fd);
                assert r == 0;
            } catch (Throwable t) {
                throw new AssertionError(t);
            } finally {
                arena.close();
            }
        }
    }
}
