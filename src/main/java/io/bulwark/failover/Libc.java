package io.bulwark.failover;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls this package's Linux sockets make through the FFM API, linked once for all of them, each
 * capturing errno into a segment of {@link #CAPTURE} the caller owns. Constants are the Linux values (the
 * same on x86_64 and aarch64).
 */
final class Libc {
    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EADDRNOTAVAIL = 99;

    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    /** Or'ed into socket()'s type: the fd does not leak into notify hooks and script trackers. */
    static final int SOCK_CLOEXEC = 0x80000;

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static final MethodHandle SOCKET = call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle SETSOCKOPT = call("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle BIND = call("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle SENDTO = call("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle RECV = call("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    static final MethodHandle IF_NAMETOINDEX = call("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** {@code ioctl(fd, request, struct ifreq *)}: variadic, so the pointer must be passed as one. */
    static final MethodHandle IOCTL = call("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));

    private Libc() {}

    @SuppressWarnings("restricted") // the launcher passes --enable-native-access; see RawSocketAdvertTransport
    private static MethodHandle call(String name, FunctionDescriptor d, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, all);
    }

    /** socket(2); the descriptor, or an exception naming {@code what} (the call as written, for the message). */
    static int socket(int domain, int type, int protocol, String what) throws NativeException {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            try {
                fd = (int) SOCKET.invokeExact(st, domain, type, protocol);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
            if (fd < 0) {
                throw new NativeException(what, errno(st));
            }
        }
        return fd;
    }

    /** setsockopt(2) with {@code value}'s size; a failure names {@code what}. */
    static void setsockopt(MemorySegment state, int fd, int level, int name, MemorySegment value, String what)
            throws NativeException {
        int r;
        try {
            r = (int) SETSOCKOPT.invokeExact(state, fd, level, name, value, (int) value.byteSize());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r < 0) {
            throw new NativeException("setsockopt " + what, errno(state));
        }
    }

    /** close(2); its result is not checked: on Linux the descriptor is released even when close fails. */
    static void close(MemorySegment state, int fd) {
        try {
            int r = (int) CLOSE.invokeExact(state, fd);
            assert r == 0 || r == -1;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The errno a call captured into {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case ENXIO -> "ENXIO (no such device or address)";
            case EAGAIN -> "EAGAIN (no answer in time)";
            case EACCES -> "EACCES (permission denied)";
            case EEXIST -> "EEXIST (already exists)";
            case ENODEV -> "ENODEV (no such device)";
            case 22 -> "EINVAL (invalid argument)";
            case 97 -> "EAFNOSUPPORT (address family not supported)";
            case 98 -> "EADDRINUSE (address in use)";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL (address not available on this host)";
            case 101 -> "ENETUNREACH (network unreachable)";
            case 105 -> "ENOBUFS (no buffer space)";
            default -> "errno " + errno;
        };
    }
}
