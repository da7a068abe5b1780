"""Client library: connect with credentials, match, batch, push, watch the feed."""

from shixin.client.config import ClientConfig, load_config
from shixin.client.connection import ShixinClient

__all__ = ["ClientConfig", "ShixinClient", "load_config"]
