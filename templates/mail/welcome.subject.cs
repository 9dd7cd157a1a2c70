Welcome to the <?cs var:Site.Name ?> talent community
