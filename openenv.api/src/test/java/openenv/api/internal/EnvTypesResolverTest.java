package openenv.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import openenv.api.Action;
import openenv.api.EnvTypes;
import openenv.api.Environment;
import openenv.api.Observation;
import openenv.api.ResetOptions;
import openenv.api.State;
import openenv.api.StepResult;
import org.junit.jupiter.api.Test;

class EnvTypesResolverTest {

    record A(String message) implements Action {
    }

    record O(String text) implements Observation {
    }

    record S(String episodeId, int stepCount) implements State {
    }

    static class Direct implements Environment<A, O, S> {
        @Override
        public StepResult<O> reset(ResetOptions options) {
            return StepResult.of(new O(""));
        }

        @Override
        public StepResult<O> step(A action) {
            return StepResult.of(new O(action.message()));
        }

        @Override
        public S state() {
            return new S("e", 0);
        }
    }

    abstract static class Base<X extends Action> implements Environment<X, O, S> {
    }

    static class ThroughGenericBase extends Base<A> {
        @Override
        public StepResult<O> reset(ResetOptions options) {
            return StepResult.of(new O(""));
        }

        @Override
        public StepResult<O> step(A action) {
            return StepResult.of(new O(""));
        }

        @Override
        public S state() {
            return new S("e", 0);
        }
    }

    @Test
    void findsTypesDeclaredDirectly() {
        assertThat(EnvTypesResolver.resolve(Direct.class)).contains(EnvTypes.of(A.class, O.class, S.class));
    }

    @Test
    void followsTypeVariablesThroughGenericSuperclasses() {
        assertThat(EnvTypesResolver.resolve(ThroughGenericBase.class)).contains(EnvTypes.of(A.class, O.class, S.class));
    }

    @Test
    void rawOrLambdaLikeTypesGiveNothing() {
        assertThat(EnvTypesResolver.resolve(Object.class)).isEmpty();
    }
}
