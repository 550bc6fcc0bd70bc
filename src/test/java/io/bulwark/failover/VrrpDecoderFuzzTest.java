package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VrrpDecoderFuzzTest {
    static final VrrpDecoder.Expected V3 = new VrrpDecoder.Expected(VrrpVersion.V3, 51, null,
            List.of(Ipv4.address(10, 0, 0, 100)), 100, false);
    static final VrrpDecoder.Expected V2 = new VrrpDecoder.Expected(VrrpVersion.V2, 51, "pw",
            List.of(Ipv4.address(10, 0, 0, 100)), 100, false);

    @Test
    void neverThrowsOnRandomTruncatedOrMutatedDatagrams() {
        Random random = new Random(0x5EED_0BADL);
        byte[] good = VrrpEncoder.datagram(new VrrpPacket(VrrpVersion.V3, 51, 100, 100,
                List.of(Ipv4.address(10, 0, 0, 100)), null), Ipv4.address(10, 0, 0, 1), VrrpEncoder.MULTICAST_GROUP);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] d = switch (i % 3) {
                case 0 -> randomBytes(random, random.nextInt(80));
                case 1 -> Arrays.copyOf(good, random.nextInt(good.length + 8));
                default -> mutate(random, good);
            };
            if (random.nextBoolean() && d.length >= 20) {
                // Plausible IP header so the fuzzing reaches the VRRP checks.
                d[0] = 0x45;
                d[8] = (byte) 255;
                d[9] = 112;
                d[2] = (byte) (d.length >>> 8);
                d[3] = (byte) d.length;
            }
            int length = random.nextInt(10) == 0 ? d.length + 5 : d.length; // length beyond the array
            for (VrrpDecoder.Expected e : List.of(V3, V2)) {
                DecodeResult r = VrrpDecoder.decode(d, length, e);
                assertThat(r).isNotNull();
                if (r instanceof DecodeResult.Accepted) {
                    accepted++;
                }
            }
        }
        assertThat(accepted).as("the untouched prefixes that still decode").isLessThan(20_000);
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    static byte[] mutate(Random r, byte[] good) {
        byte[] d = Arrays.copyOf(good, good.length);
        for (int k = 1 + r.nextInt(4); k > 0; k--) {
            d[r.nextInt(d.length)] = (byte) r.nextInt(256);
        }
        return d;
    }
}
