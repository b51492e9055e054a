from postmarker.core import PostmarkClient
