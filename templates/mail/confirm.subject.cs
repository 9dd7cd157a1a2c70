Please confirm you would like to join <?cs var:Site.Name ?>'s talent community
