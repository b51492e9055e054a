"""Renew domains."""
import boto3
client = boto3.client("route53domains")
