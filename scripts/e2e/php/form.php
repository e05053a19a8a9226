<?php
/**
 * Reads a form out of an HTML page and prints what a browser would submit when the given
 * button is pressed: line 1 the URL it posts to (the button's formaction, else the form's
 * action, else the page), line 2 the urlencoded body (every successful control in document
 * order, overrides applied, the pressed button's name=value).
 *
 * Usage: php form.php PAGE.html PAGE_URL FORM BUTTON [name=value ...]
 *   FORM:   id:ID | has:FIELD_NAME (the form holding a control of that name) | action:TEXT
 *   BUTTON: name=value of a submit button, name= for any button of that name, or "" for none
 *   name=value sets a control's value (replacing every control of that name, or adding one).
 *
 * @package OnCloudWine
 */

if ( $argc < 5 ) {
	fwrite( STDERR, "usage: php form.php PAGE.html PAGE_URL FORM BUTTON [name=value ...]\n" );
	exit( 2 );
}
list( , $page, $page_url, $form_sel, $button_sel ) = $argv;
$overrides = array();
foreach ( array_slice( $argv, 5 ) as $pair ) {
	$eq                                    = strpos( $pair, '=' );
	$overrides[ substr( $pair, 0, $eq ) ] = substr( $pair, $eq + 1 );
}

$doc = new DOMDocument();
libxml_use_internal_errors( true );
$doc->loadHTML( '<?xml encoding="utf-8"?>' . file_get_contents( $page ) );
$xp = new DOMXPath( $doc );

list( $kind, $want ) = array_pad( explode( ':', $form_sel, 2 ), 2, '' );
$form                = null;
foreach ( $xp->query( '//form' ) as $f ) {
	if ( ( 'id' === $kind && $f->getAttribute( 'id' ) === $want )
		|| ( 'action' === $kind && false !== strpos( $f->getAttribute( 'action' ), $want ) )
		|| ( 'has' === $kind && $xp->query( './/*[@name="' . $want . '"]', $f )->length > 0 ) ) {
		$form = $f;
		break;
	}
}
if ( null === $form ) {
	fwrite( STDERR, "form.php: no form matches $form_sel\n" );
	exit( 1 );
}

$fields  = array();
$pressed = null;
foreach ( $xp->query( './/input|.//select|.//textarea|.//button', $form ) as $el ) {
	$name = $el->getAttribute( 'name' );
	if ( '' === $name || $el->hasAttribute( 'disabled' ) ) {
		continue;
	}
	$tag  = strtolower( $el->nodeName );
	$type = strtolower( $el->getAttribute( 'type' ) );
	if ( 'button' === $tag || in_array( $type, array( 'submit', 'image' ), true ) ) {
		if ( '' !== $button_sel && null === $pressed ) {
			list( $bn, $bv ) = array_pad( explode( '=', $button_sel, 2 ), 2, '' );
			$value           = $el->getAttribute( 'value' );
			if ( $bn === $name && ( '' === $bv || $bv === $value ) && ( 'button' !== $tag || 'button' !== $type ) ) {
				$pressed  = $el;
				$fields[] = array( $name, $value );
			}
		}
		continue;
	}
	if ( in_array( $type, array( 'button', 'reset', 'file' ), true ) ) {
		continue;
	}
	if ( in_array( $type, array( 'checkbox', 'radio' ), true ) ) {
		if ( $el->hasAttribute( 'checked' ) ) {
			$fields[] = array( $name, $el->hasAttribute( 'value' ) ? $el->getAttribute( 'value' ) : 'on' );
		}
		continue;
	}
	if ( 'select' === $tag ) {
		$options  = $xp->query( './/option', $el );
		$selected = null;
		foreach ( $options as $o ) {
			if ( $o->hasAttribute( 'selected' ) ) {
				$selected = $o;
			}
		}
		if ( null === $selected && $options->length > 0 ) {
			$selected = $options->item( 0 );
		}
		if ( null !== $selected ) {
			$fields[] = array( $name, $selected->hasAttribute( 'value' ) ? $selected->getAttribute( 'value' ) : $selected->textContent );
		}
		continue;
	}
	$fields[] = array( $name, 'textarea' === $tag ? $el->textContent : $el->getAttribute( 'value' ) );
}
if ( '' !== $button_sel && null === $pressed ) {
	fwrite( STDERR, "form.php: no submit button $button_sel in the form\n" );
	exit( 1 );
}

$out  = array();
$done = array();
foreach ( $fields as $field ) {
	list( $name, $value ) = $field;
	if ( array_key_exists( $name, $overrides ) ) {
		if ( isset( $done[ $name ] ) ) {
			continue;
		}
		$done[ $name ] = true;
		$value         = $overrides[ $name ];
	}
	$out[] = rawurlencode( $name ) . '=' . rawurlencode( $value );
}
foreach ( $overrides as $name => $value ) {
	if ( ! isset( $done[ $name ] ) ) {
		$out[] = rawurlencode( $name ) . '=' . rawurlencode( $value );
	}
}

$action = ( null !== $pressed && $pressed->hasAttribute( 'formaction' ) ) ? $pressed->getAttribute( 'formaction' ) : $form->getAttribute( 'action' );
echo resolve_url( $page_url, $action ) . "\n" . implode( '&', $out ) . "\n";

/**
 * Resolves a form action against the page URL.
 *
 * @param string $base   Page URL.
 * @param string $action Action attribute.
 * @return string
 */
function resolve_url( $base, $action ) {
	if ( '' === $action ) {
		return $base;
	}
	if ( preg_match( '#^https?://#', $action ) ) {
		return $action;
	}
	$p      = parse_url( $base );
	$origin = $p['scheme'] . '://' . $p['host'] . ( isset( $p['port'] ) ? ':' . $p['port'] : '' );
	if ( '/' === $action[0] ) {
		return $origin . $action;
	}
	if ( '?' === $action[0] ) {
		return $origin . $p['path'] . $action;
	}
	return $origin . preg_replace( '#/[^/]*$#', '/', $p['path'] ) . $action;
}
