package com.acme.trainer;

import java.util.Map;
import java.util.Optional;
import openenv.api.Containers;
import openenv.api.GenericEnvClient;
import openenv.api.spi.ContainerSpec;
import openenv.api.spi.RunningContainer;

/** Starts the image named by args[0] with whatever container provider is visible, steps it once, stops it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String provider = Containers.provider(Optional.empty()).name();
        try (RunningContainer env = Containers.start(ContainerSpec.of(args[0]));
             GenericEnvClient client = GenericEnvClient.connect(env.baseUri().toString().replaceFirst("^http", "ws"))) {
            client.reset();
            Object echoed = client.step(Map.of("message", "from a plugin folder")).observation().get("echoed_message");
            System.out.println("provider=" + provider + " url=" + env.baseUri() + " echoed=" + echoed);
        }
    }
}
