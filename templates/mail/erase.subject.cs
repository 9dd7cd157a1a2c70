Confirm the erasure of your data at <?cs var:Site.Name ?>
