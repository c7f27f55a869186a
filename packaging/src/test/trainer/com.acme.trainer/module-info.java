/** A stand-in for a user's trainer: it needs only openenv.api; the container provider comes from a plugin folder. */
module com.acme.trainer {
    requires openenv.api;
}
