"""The result cache's storage (store.py); what is cached is decided in pipeline/batch.py."""
