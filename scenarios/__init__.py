"""The X of 1+1+1+6+X: smart scenarios, one Django app each (scenarios/<key>/), or from another
installed distribution through the `smartcommunity.scenarios` entry point group."""
