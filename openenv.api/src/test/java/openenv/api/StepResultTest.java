package openenv.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StepResultTest {

    @Test
    void doneIsTerminatedOrTruncated() {
        StepResult<String> ongoing = StepResult.of("o", 1.0);
        assertThat(ongoing.done()).isFalse();
        assertThat(ongoing.asTerminated().done()).isTrue();
        assertThat(ongoing.asTruncated().done()).isTrue();
        assertThat(ongoing.asTruncated().terminated()).isFalse();
    }

    @Test
    void rewardIsOptional() {
        assertThat(StepResult.of("o").reward()).isEmpty();
        assertThat(StepResult.of("o", 0.5).reward()).hasValue(0.5);
    }

    @Test
    void metadataIsCopiedAndImmutable() {
        java.util.HashMap<String, Object> source = new java.util.HashMap<>(Map.of("k", 1));
        StepResult<String> result = StepResult.of("o").withMetadata(source);
        source.put("other", 2);
        assertThat(result.metadata()).containsOnlyKeys("k");
    }
}
