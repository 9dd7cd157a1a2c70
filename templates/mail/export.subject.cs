Your data from <?cs var:Site.Name ?>
