package openenv.examples;

import openenv.api.Action;
import openenv.api.Description;
import openenv.api.MinLength;

/** Echo's action: {@code {"message": "hi"}}; the message must not be empty. */
public record EchoAction(@MinLength(1) @Description("Message to echo back") String message) implements Action {
}
