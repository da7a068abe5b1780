"""The lifecycle and the change feed end to end, through the real gRPC server."""
