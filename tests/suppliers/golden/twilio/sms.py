from twilio.rest import Client
