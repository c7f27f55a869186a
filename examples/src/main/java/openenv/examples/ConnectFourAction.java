package openenv.examples;

import openenv.api.Action;
import openenv.api.Description;
import openenv.api.Maximum;
import openenv.api.Minimum;

/** Connect Four's action: {@code {"column": 3}}, columns 0 to 6. */
public record ConnectFourAction(@Minimum(0) @Maximum(6) @Description("Column to drop a disc into") int column)
        implements Action {
}
