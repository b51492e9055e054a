"""Send a code."""
import boto3
boto3.client("sns").publish(PhoneNumber="+15555550100", Message="1234")
