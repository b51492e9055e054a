import newrelic.agent
