from apns2.client import APNsClient
