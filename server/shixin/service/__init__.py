"""Use cases of shixin (match, push, feed, acknowledgements), free of any transport.

The gRPC servicers in ``shixin.grpcapi`` translate requests into calls of
these classes and their results back into messages; the CLI's ``import`` calls
the same code directly on a data directory.
"""
