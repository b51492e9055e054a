#!/bin/sh
curl -s https://api.godaddy.com/v1/domains/example.com
