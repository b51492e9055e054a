"""Discovery: build inventories from provider APIs (boto3) and from the hosts (SSH)."""
