import rollbar
