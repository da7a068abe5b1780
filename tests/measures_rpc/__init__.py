"""The measure catalogue and measure verdicts through the real gRPC server."""
