package openenv.transport.netty;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import openenv.api.EnvServer;
import openenv.api.EnvTypes;
import openenv.api.internal.ProviderKind;
import openenv.api.internal.Providers;
import openenv.api.spi.Codec;
import openenv.api.spi.CodecProvider;

/** Starts real EnvServers on the Netty transport for tests. */
final class Servers {

    static final EnvTypes<EchoAction, EchoObservation, EchoState> ECHO =
            EnvTypes.of(EchoAction.class, EchoObservation.class, EchoState.class);

    static {
        // Test records live in this module's (unexported) package; the codec reads them like a user's
        // `exports my.env to openenv.json;` would let it. Tests run inside this module, so they may add that export.
        Module self = Servers.class.getModule();
        ModuleLayer layer = self.getLayer() == null ? ModuleLayer.boot() : self.getLayer();
        layer.findModule("openenv.json").ifPresentOrElse(
                json -> self.addExports(Servers.class.getPackageName(), json),
                () -> self.addExports(Servers.class.getPackageName(), Servers.class.getClassLoader()
                        .getUnnamedModule()));
    }

    private Servers() {
    }

    /** A started echo server on an ephemeral port; {@code settings} may change the builder. */
    static EnvServer echo(EchoEnvironment.Hooks hooks, UnaryOperator<EnvServer.Builder> settings) {
        EnvServer.Builder builder = EnvServer.builder()
                .environment(hooks::create)
                .port(0)
                .transport("netty")
                .codec("jackson")
                .enableExtensions(false)
                .shutdownGrace(Duration.ofSeconds(2));
        return settings.apply(builder).build().start();
    }

    /** The codec the tests use, for driving a {@code ClientTransportProvider} directly. */
    static Codec codec() {
        return Providers.pick(ProviderKind.CODEC, Providers.load(CodecProvider.class), Optional.of("jackson"), "")
                .create();
    }

    static EnvServer echo(EchoEnvironment.Hooks hooks) {
        return echo(hooks, UnaryOperator.identity());
    }
}
