// Deleted method kept by 4D in the Trash
