"""Generated protobuf and gRPC code for shixin.v1 (see proto/generate.py)."""
