echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list
