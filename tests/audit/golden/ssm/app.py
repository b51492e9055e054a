"""Example client code."""
import boto3

client = boto3.client("ssm-incidents")
