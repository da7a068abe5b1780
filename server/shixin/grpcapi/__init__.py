"""gRPC transport: servicers that translate messages to use cases, and the server."""
