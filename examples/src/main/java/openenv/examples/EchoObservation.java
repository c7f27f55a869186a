package openenv.examples;

import openenv.api.Observation;

/**
 * Echo's observation: {@code {"echoed_message": "hi", "message_length": 2}}. The length counts Unicode code
 * points, as Python's {@code len} does ("héllo 👋" has 7).
 */
public record EchoObservation(String echoedMessage, int messageLength) implements Observation {
}
