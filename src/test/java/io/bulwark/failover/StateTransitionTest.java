package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateTransitionTest {
    @Test
    void everyChangeBetweenDifferentStatesIsListed() {
        for (VrrpState from : VrrpState.values()) {
            for (VrrpState to : VrrpState.values()) {
                if (from != to) {
                    assertThat(StateTransition.of(from, to).to()).isEqualTo(to);
                }
            }
        }
    }

    @Test
    void aSelfTransitionThrows() {
        assertThatThrownBy(() -> StateTransition.of(VrrpState.MASTER, VrrpState.MASTER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("illegal VRRP transition MASTER -> MASTER");
    }
}
