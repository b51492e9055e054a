"""Send mail."""
import boto3
ses = boto3.client("sesv2")
