package io.switchboard.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ErrorBody;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentErrorMapperTest {

    @Test
    void anAgentWithNumbersCannotBeDeleted() {
        assertThat(ErrorBody.of(new AgentErrorMapper().inUse(new AgentInUse(2)))).isEqualTo(new ErrorBody(409,
                "agent_in_use", "agent has 2 assigned phone number(s); unassign them first", List.of()));
    }
}
