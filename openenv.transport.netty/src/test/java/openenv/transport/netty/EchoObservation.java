package openenv.transport.netty;

import openenv.api.Observation;

/** Test echo observation. */
public record EchoObservation(String echoedMessage, int messageLength) implements Observation {
}
