package openenv.transport.netty;

import openenv.api.Action;
import openenv.api.MinLength;

/** Test echo action. Public because the codec reads records through public accessors. */
public record EchoAction(@MinLength(1) String message) implements Action {
}
