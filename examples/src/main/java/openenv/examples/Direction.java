package openenv.examples;

/** Grid world moves: UP/DOWN change x, LEFT/RIGHT change y. */
public enum Direction {
    UP, DOWN, LEFT, RIGHT
}
